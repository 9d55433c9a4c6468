"""API authentication: `Authorization: Bearer <token>`, or the browser session (pages that call
the API). Use ``auth=api_auth`` on a router or operation."""

from ninja.security import HttpBearer, django_auth

from .tokens import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


api_auth = [BearerToken(), django_auth]
