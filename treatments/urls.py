from django.urls import path

from . import views

app_name = "treatments"

urlpatterns = [
    path("patients/<int:pk>/consultation/", views.consultation, name="consultation"),
    path("patients/<int:pk>/consent/", views.consent, name="consent"),
    path("patients/<int:pk>/preparation/", views.preparation, name="preparation"),
    path("patients/<int:pk>/injection/", views.injection, name="injection"),
    path("patients/<int:pk>/aftercare/", views.aftercare, name="aftercare"),
    path("patients/<int:pk>/maintenance/", views.maintenance, name="maintenance"),
    path("patients/<int:pk>/follow-up/", views.follow_up, name="follow-up"),
    path("patients/<int:pk>/retreatment/", views.retreatment, name="retreatment"),
    path("patients/<int:pk>/review/", views.review, name="review"),
    path("patients/<int:pk>/discontinue/", views.discontinue, name="discontinue"),
    path("patients/<int:pk>/course/", views.course_start, name="course-start"),
    path("patients/<int:pk>/step/<slug:name>/", views.step, name="step"),
    path("lots/", views.lots, name="lots"),
]
