"""Endpoints for scripts: upload and check a file, apply it, follow a job, export the template.

Administrators only. A file is checked (dry run) unless ``dry_run=false``; an import with an
error in any row writes nothing and answers 400 ``import_refused`` with the report. A file
too large to check within the request becomes a job (202) to follow at its URL.
"""

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.roles import roles_of
from inventory.api.serializers import (
    ExportInputSerializer,
    ImportInputSerializer,
    ImportJobSerializer,
    ImportMappingSerializer,
    RemapInputSerializer,
)
from inventory.exporting import inventory_export_stream, template_file
from inventory.models import ImportJob, ImportMapping, ImportStatus
from inventory.services import (
    import_job_create,
    import_job_remap,
    import_job_start,
    import_mapping_save,
)

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class AdministratorsOnly(IsAuthenticated):
    message = "Only portfolio administrators import or export the inventory."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and roles_of(request.user).is_admin


def job_response(job: ImportJob, *, created: bool = False) -> Response:
    """A job as the API answers: 202 running, 400 refused, 201 imported, else 200."""
    body = ImportJobSerializer(job).data
    if job.status in (ImportStatus.CHECKING, ImportStatus.APPLYING):
        return Response(body, status=status.HTTP_202_ACCEPTED)
    report = job.report or {}
    if report.get("errors") and (report.get("file_error") or not report.get("dry_run", True)):
        first = report["errors"][0]
        return Response(
            {
                "code": report.get("file_error") or "import_refused",
                "message": first["message"]
                if report.get("file_error")
                else f"{report['error_count']} row error(s): nothing was imported.",
                "job": body,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ImportListView(APIView):
    permission_classes = [AdministratorsOnly]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImportInputSerializer, responses={200: ImportJobSerializer})
    def post(self, request):
        """Upload a file: its dry run (default), or with ``dry_run=false`` its import."""
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        options = dict(data.validated_data)
        upload, apply = options.pop("file"), not options.pop("dry_run")
        save_as = options.pop("save_mapping_as", "")
        job = import_job_create(
            actor=request.user, content=upload.read(), filename=upload.name, options=options
        )
        job = import_job_start(job=job, apply=apply, actor=request.user)
        _save_mapping(request.user, job, save_as)
        return job_response(job, created=job.status == ImportStatus.APPLIED)


class ImportDetailView(APIView):
    permission_classes = [AdministratorsOnly]

    @extend_schema(responses={200: ImportJobSerializer})
    def get(self, request, pk: int):
        """A job's status, progress and report."""
        return Response(ImportJobSerializer(get_object_or_404(ImportJob, pk=pk)).data)


def _save_mapping(actor, job: ImportJob, name: str) -> None:
    if name and job.report.get("mapping"):
        import_mapping_save(actor=actor, name=name, report=job.report, options=job.options)


class ImportMappingView(APIView):
    permission_classes = [AdministratorsOnly]

    @extend_schema(
        request=RemapInputSerializer,
        responses={200: ImportJobSerializer, 202: ImportJobSerializer, 400: ErrorSerializer,
                   404: ErrorSerializer, 409: ErrorSerializer},
    )  # fmt: skip
    def post(self, request, pk: int):
        """Change the sheet, header row, any column's field or a date order of a job not yet
        imported: its dry run runs again; ``save_mapping_as`` keeps the mapping by name."""
        job = get_object_or_404(ImportJob, pk=pk)
        data = RemapInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        options = dict(data.validated_data)
        save_as = options.pop("save_mapping_as", "")
        job = import_job_remap(actor=request.user, job=job, options=options)
        job = import_job_start(job=job, apply=False, actor=request.user)
        _save_mapping(request.user, job, save_as)
        return job_response(job)


class SavedMappingListView(APIView):
    permission_classes = [AdministratorsOnly]

    @extend_schema(responses={200: ImportMappingSerializer(many=True)})
    def get(self, request):
        """The mappings kept by name, for the next import of the same register."""
        return Response(ImportMappingSerializer(ImportMapping.objects.all(), many=True).data)


class ImportApplyView(APIView):
    permission_classes = [AdministratorsOnly]

    @extend_schema(request=None, responses={201: ImportJobSerializer})
    def post(self, request, pk: int):
        """Import a checked file (409 when it is not checked or already imported)."""
        job = get_object_or_404(ImportJob, pk=pk)
        job = import_job_start(job=job, apply=True, actor=request.user)
        return job_response(job, created=job.status == ImportStatus.APPLIED)


class ExportView(APIView):
    permission_classes = [AdministratorsOnly]

    @extend_schema(
        parameters=[ExportInputSerializer],
        responses={(200, CONTENT_TYPES["xlsx"]): bytes, (200, "text/csv"): bytes},
    )
    def get(self, request):
        """The inventory in the import template (``file_format`` xlsx or csv)."""
        data = ExportInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        file_format = data.validated_data["file_format"]
        pieces = inventory_export_stream(
            file_format=file_format, department_id=data.validated_data.get("department")
        )
        return download_stream(pieces, f"inventory.{file_format}", file_format)


class TemplateView(APIView):
    permission_classes = [AdministratorsOnly]

    @extend_schema(
        parameters=[ExportInputSerializer],
        responses={(200, CONTENT_TYPES["xlsx"]): bytes, (200, "text/csv"): bytes},
    )
    def get(self, request):
        """The empty template, with one example row of each record."""
        data = ExportInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        file_format = data.validated_data["file_format"]
        return download(
            template_file(file_format=file_format), f"inventory-template.{file_format}", file_format
        )


def download_stream(pieces, filename: str, file_format: str) -> StreamingHttpResponse:
    """A file download streamed as its pieces are produced."""
    response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(content: bytes, filename: str, file_format: str) -> HttpResponse:
    """A file download response."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
