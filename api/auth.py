"""API tokens with roles (reader, admin) from DUTYGRAPH_API_TOKENS="token:role,…".

With no tokens configured the API is open (a local, single-user install). Otherwise every /api read
needs a reader or admin token and every write an admin token, as `Authorization: Bearer <token>` (or the
login cookie of the browser UI).
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

ROLES = {"reader": 1, "admin": 2}


def parse_tokens(spec: str) -> dict[str, str]:
    out = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        token, _, role = part.rpartition(":")
        if not token or role not in ROLES:
            raise ValueError(f"DUTYGRAPH_API_TOKENS: expected token:reader or token:admin, got {part!r}")
        out[token] = role
    return out


def role_of(tokens: dict[str, str], token: str) -> str | None:
    """The token's role, compared in constant time against every configured token (no early exit that
    would tell an attacker how much of a guess was right)."""
    found = None
    given = token.encode()
    for known, role in tokens.items():
        if hmac.compare_digest(known.encode(), given):
            found = role
    return found


def require(request: Request, needed: str) -> None:
    tokens: dict[str, str] = request.app.state.tokens
    if not tokens:
        return
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get("dutygraph_token")
    if not token:
        raise HTTPException(
            401, "需要登录令牌 (missing token: Authorization: Bearer <token>)", headers={"WWW-Authenticate": "Bearer"}
        )
    role = role_of(tokens, token)
    if role is None:
        raise HTTPException(401, "令牌无效 (invalid token)", headers={"WWW-Authenticate": "Bearer"})
    if ROLES[role] < ROLES[needed]:
        raise HTTPException(403, f"权限不足: 需要 {needed} 角色 (forbidden: {needed} role required)")


def allows(request: Request, needed: str) -> bool:
    """Whether the request's token has the role (an open install allows everything)."""
    try:
        require(request, needed)
    except HTTPException:
        return False
    return True


def reader(request: Request) -> None:
    require(request, "reader")


def admin(request: Request) -> None:
    require(request, "admin")
