from django.contrib import admin

from .models import Grievance


@admin.register(Grievance)
class GrievanceAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "status", "name", "handler", "due_on"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "name", "email", "certificate_number"]
    readonly_fields = [f.name for f in Grievance._meta.fields]

    def has_add_permission(self, request):
        return False  # received through the forms, with a number and the action log
