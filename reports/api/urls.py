from django.urls import path

from reports import views

app_name = "reports-api"

urlpatterns = [
    path("reports/reviews/<int:pk>/pack/", views.ReviewPackView.as_view(), name="review-pack"),
    path("reports/portfolio/", views.PortfolioPackView.as_view(), name="portfolio-pack"),
]
