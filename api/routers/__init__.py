"""One APIRouter per concern; api/app.py includes them all."""
