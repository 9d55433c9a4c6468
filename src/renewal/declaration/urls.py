from django.urls import path

from . import views

app_name = "declaration"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("<str:code>/", views.review, name="review"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/submit", views.submit, name="submit"),
    path("<str:code>/review", views.review_action, name="review_action"),
    path("<str:code>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:code>/attachments/<int:pk>/delete", views.attachment_delete, name="attachment_delete"),
]
