"""API of finance (P12): /api/v1/loans… (a bank user: its own bank's records only)."""

from ninja import Router

router = Router(tags=["融资支持"])
