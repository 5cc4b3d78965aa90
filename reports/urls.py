from django.urls import path

from reports import views

urlpatterns = [
    path("reviews/<int:pk>/pack.pdf", views.review_pack, name="review-pack"),
    path("portfolio/pack.pdf", views.portfolio_pack, name="portfolio-pack"),
    path("portfolio/<str:month>/pack.pdf", views.portfolio_pack, name="portfolio-pack-month"),
]
