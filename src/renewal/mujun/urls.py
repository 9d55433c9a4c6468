from django.urls import path

from . import views

app_name = "mujun"
urlpatterns = [
    path("", views.index, name="index"),
    path("public/", views.public, name="public"),
    path("mine/", views.my_card, name="my_card"),
    path("card/<str:uscc>/<int:year>/", views.card, name="card"),
    path("card/<str:uscc>/<int:year>/object/", views.object_, name="object"),
    path("objections/<int:pk>/", views.objection, name="objection"),
    path("objections/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("<str:code>/<int:year>/", views.area, name="area"),
    path("<str:code>/<int:year>/export.xlsx", views.export, name="export"),
    path("<str:code>/<int:year>/run/", views.run, name="run"),
    path("<str:code>/<int:year>/publish/", views.publish, name="publish"),
    path("<str:code>/<int:year>/confirm/", views.confirm, name="confirm"),
]
