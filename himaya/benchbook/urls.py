from django.urls import path

from . import views

app_name = "benchbook"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix.pdf", views.matrix_pdf, name="matrix_pdf"),
    path("concepts/", views.concept_list, name="concepts"),
    path("concepts/<slug:key>/", views.concept_detail, name="concept"),
    path("i/<slug:key>/", views.instrument_detail, name="instrument"),
    path("p/<str:key>/", views.provision_detail, name="provision"),
]
