from django.urls import path

from tirek.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("mine/", views.my_entry, name="mine"),
    path("import/", views.register_import, name="import"),
    path("export/", views.register_export, name="export"),
    path("<int:pk>/edit/", views.entry_edit, name="edit"),
]
