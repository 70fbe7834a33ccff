from django.urls import path

from tirek.assignment import board_views, order_views, views

app_name = "assignment"

urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path(
        "requests/<str:number>/acknowledge/",
        views.request_acknowledge,
        name="request-acknowledge",
    ),
    path("requests/<str:number>/status/", views.request_status, name="request-status"),
    path("requests/<str:number>/assign/", views.request_assign, name="request-assign"),
    path("requests/<str:number>/withdraw/", views.request_withdraw, name="request-withdraw"),
    path("people/<uuid:key>/request/", views.request_create, name="request-create"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/answer/", views.offer_answer, name="offer-answer"),
    path("board/", board_views.board, name="board"),
    path("orders/", order_views.order_list, name="orders"),
    path(
        "orders/<int:pk>/<str:language>.<str:file_format>",
        order_views.order_download,
        name="order-download",
    ),
]
