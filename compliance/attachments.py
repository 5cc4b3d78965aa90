"""Evidence documents: checked for size and type, stored through Django's storage API, never
changed (a new version supersedes the previous one, and both are kept)."""

import hashlib
from datetime import datetime

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Attachment, Obligation
from core.errors import ConflictError
from portfolio.models import UseCase

# Allowed types: extension -> (content type, how the file's first bytes must start).
# The browser's declared type is not trusted; the bytes are.
TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "txt": ("text/plain", ()),
    "csv": ("text/csv", ()),
    "md": ("text/markdown", ()),
}


def allowed_extensions() -> list[str]:
    return [ext for ext in TYPES if ext in settings.FLYWHEEL_ATTACHMENT_TYPES]


def content_type_of(*, name: str, head: bytes) -> str | None:
    """The content type of an allowed file, judged by its extension and its first bytes;
    None when the type is not allowed or the bytes do not match the extension."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed_extensions():
        return None
    content_type, magics = TYPES[extension]
    if magics:
        return content_type if any(head.startswith(m) for m in magics) else None
    try:  # text types: UTF-8 without NUL bytes
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return None
    return None if b"\x00" in head else content_type


def _check_file(file) -> tuple[str, int, str]:
    limit = settings.FLYWHEEL_ATTACHMENT_MAX_BYTES
    size = file.size
    if size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    if size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                    % {"size": size, "limit": limit}
                ]
            }
        )
    file.seek(0)
    head = file.read(512)
    content_type = content_type_of(name=file.name or "", head=head)
    if content_type is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "This type of file is not accepted (or its content does not match its "
                        "name). Accepted: %(values)s."
                    )
                    % {"values": ", ".join(allowed_extensions())}
                ]
            }
        )
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return content_type, size, digest.hexdigest()


@transaction.atomic
def attachment_upload(
    *,
    use_case: UseCase,
    actor,
    file,
    kind: str = "",
    title: str = "",
    obligation: Obligation | None = None,
    supersedes: Attachment | None = None,
    at: datetime | None = None,
) -> Attachment:
    """Store a document as evidence of the use case (and of one obligation, if named).

    The use case's managers upload; an obligation's owner uploads for that obligation. A
    new version names the version it supersedes, which must be the current one (409 when
    someone superseded it first); it keeps the previous version's kind, title and
    obligation unless given.
    """
    target = obligation if obligation is not None else None
    if obligation is not None and obligation.use_case_id != use_case.pk:
        raise ValidationError({"obligation": [_("The obligation belongs to another use case.")]})
    allowed = rules.has_perm("compliance.manage_use_case", actor, use_case) or (
        target is not None and rules.has_perm("compliance.work_on_obligation", actor, target)
    )
    if actor is not None and not allowed:
        raise PermissionDenied(_("You may not add evidence to this use case."))
    version = 1
    if supersedes is not None:
        if supersedes.use_case_id != use_case.pk:
            raise ValidationError({"supersedes": [_("That document belongs to another use case.")]})
        if Attachment.objects.filter(supersedes=supersedes).exists():
            raise ConflictError(
                _("That version is already superseded; supersede the current one."),
                code="already_superseded",
            )
        version = supersedes.version + 1
        kind = kind or supersedes.kind
        title = title or supersedes.title
        obligation = obligation or supersedes.obligation
    content_type, size, sha256 = _check_file(file)
    attachment = Attachment(
        use_case=use_case,
        obligation=obligation,
        kind=kind,
        title=(title or file.name or "")[:200],
        original_name=(file.name or "")[:200],
        content_type=content_type,
        size=size,
        sha256=sha256,
        version=version,
        supersedes=supersedes,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=at or timezone.now(),
    )
    attachment.full_clean(exclude=["file", "use_case", "obligation", "supersedes", "uploaded_by"])
    attachment.file.save(file.name or "document", file, save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except IntegrityError as exc:
        attachment.file.storage.delete(attachment.file.name)
        raise ConflictError(
            _("That version is already superseded; supersede the current one."),
            code="already_superseded",
        ) from exc
    return attachment
