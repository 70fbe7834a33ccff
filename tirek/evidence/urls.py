from django.urls import path

from tirek.evidence import export_views, file_views, matrix_views, views

app_name = "evidence"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("matrix/", matrix_views.matrix, name="matrix"),
    path("list.<str:file_format>", export_views.evidence_list, name="export"),
    path("bundle.zip", export_views.bundle, name="bundle"),
    path("files/<int:pk>/", file_views.download, name="download"),
    path("<int:item>/", views.item_detail, name="item"),
    path("<int:item>/edit/", views.item_edit, name="edit"),
    path("<int:item>/status/", views.item_status, name="status"),
    path("<int:item>/links/", views.item_link, name="link"),
    path("<int:item>/custody/", views.item_custody, name="custody"),
    path("<int:item>/files/", file_views.upload, name="upload"),
]
