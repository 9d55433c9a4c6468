"""Accounts: users, roles, area/unit/enterprise scoping, API tokens."""
