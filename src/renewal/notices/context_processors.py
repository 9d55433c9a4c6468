"""The header's 待办 badge and unread count (issue 17). Lazy: nothing is counted unless a template
shows it (htmx fragments and files rendered with a request context pay nothing)."""

from functools import cached_property

from .models import Notice
from .todo import items


class Todo:
    def __init__(self, request):
        self.user = getattr(request, "user", None)

    @cached_property
    def items(self):
        return items(self.user)

    @cached_property
    def total(self) -> int:
        return sum(i.count for i in self.items)

    @cached_property
    def unread(self) -> int:
        if self.user is None or not self.user.is_authenticated:
            return 0
        return Notice.objects.filter(user=self.user, read_at__isnull=True).count()


def todo(request) -> dict:
    return {"todo": Todo(request)}
