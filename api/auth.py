"""API tokens with a role and the organisation they speak for, from
DUTYGRAPH_API_TOKENS="token:role[@organisation],…".

Roles: reader (a supervisor: reads only), township@<乡镇>, department@<县级部门>, bianban (编办 reviewer),
legal (司法局 reviewer), admin. With no tokens configured the API is open (a local, single-user install: every
request acts as admin). Otherwise every /api read needs a token, loading lists needs admin, and the list
life cycle checks what each role may do for which organisation (services/lifecycle.py), as
`Authorization: Bearer <token>` (or the login cookie of the browser UI).
"""

from __future__ import annotations

import hmac

from dutygraph.graph.vocabulary import PRINCIPAL_ROLES
from dutygraph.services.lifecycle import Principal
from fastapi import HTTPException, Request

# what a role may do in general: read (1) or also load lists (2); the life cycle checks the rest
ROLES = {role: 2 if role == "admin" else 1 for role in PRINCIPAL_ROLES}
NEEDS_ORG = ("township", "department")
OPEN = Principal("admin", None, "本机用户")


def parse_tokens(spec: str) -> dict[str, str]:
    """token → "role" or "role@organisation"."""
    out = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        token, _, who = part.rpartition(":")
        role, _, org = who.partition("@")
        if not token or role not in ROLES or (role in NEEDS_ORG) != bool(org):
            raise ValueError(f"DUTYGRAPH_API_TOKENS: expected token:role or token:township@乡镇 / "
                             f"token:department@部门 (roles {', '.join(ROLES)}), got {part!r}")
        out[token] = who
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


def principal(request: Request) -> Principal:
    """Who the request speaks for (401 without a valid token where tokens are configured)."""
    tokens: dict[str, str] = request.app.state.tokens
    if not tokens:
        return OPEN
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get("dutygraph_token")
    if not token:
        raise HTTPException(
            401, "需要登录令牌 (missing token: Authorization: Bearer <token>)", headers={"WWW-Authenticate": "Bearer"}
        )
    who = role_of(tokens, token)
    if who is None:
        raise HTTPException(401, "令牌无效 (invalid token)", headers={"WWW-Authenticate": "Bearer"})
    role, _, org = who.partition("@")
    return Principal(role, org or None, f"{PRINCIPAL_ROLES[role]}{'·' + org if org else ''}")


def require(request: Request, needed: str) -> None:
    role = principal(request).role
    if ROLES[role] < ROLES[needed]:
        raise HTTPException(403, f"权限不足: 需要 {needed} 角色 (forbidden: {needed} role required)")


def allows(request: Request, needed: str) -> bool:
    """Whether the request's token has the role (an open install allows everything)."""
    try:
        require(request, needed)
    except HTTPException:
        return False
    return True


# Dependencies, async because they only read headers: FastAPI runs a plain `def` dependency in its thread pool,
# a hop that cost more than a cached item lookup itself. Call `require` directly outside Depends.
async def reader(request: Request) -> None:
    require(request, "reader")


async def admin(request: Request) -> None:
    require(request, "admin")
