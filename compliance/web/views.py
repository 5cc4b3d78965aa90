"""Compliance pages: a use case's obligations and evidence, the evidence packs, the crosswalk,
and the one door through which a stored document leaves (checked against the use case)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance import attachments, evidence_pack, pack_render, selectors, services
from compliance.api.views import file_response
from compliance.choices import Framework
from compliance.models import Attachment, Obligation
from compliance.web import forms
from core.web.actions import page_action
from portfolio.models import UseCase
from portfolio.selectors import use_case_visible_to


def _visible_use_case(request, pk) -> UseCase:
    try:
        return use_case_visible_to(user=request.user).select_related("department").get(pk=pk)
    except UseCase.DoesNotExist as exc:
        raise Http404(_("No such use case.")) from exc


def _page(use_case_id) -> str:
    return reverse("compliance:use-case", args=[use_case_id])


@login_required
def use_case_compliance(request, pk):
    """The compliance block of one use case, standing on its own page (console includes the
    same fragment in the use case page)."""
    use_case = _visible_use_case(request, pk)
    block = selectors.use_case_compliance(use_case=use_case, today=timezone.localdate())
    may_manage = request.user.has_perm("compliance.manage_use_case", use_case)
    initial = (
        {
            "act_role": block.profile.act_role,
            "fria_scope": block.profile.fria_scope,
            **{name: getattr(block.profile, name) for name in services.PROFILE_FACTS},
        }
        if block.profile
        else {}
    )
    return render(
        request,
        "compliance/use_case.html",
        {
            "use_case": use_case,
            "compliance": block,
            "may_manage": may_manage,
            "may_download_pack": request.user.has_perm("compliance.download_pack"),
            "profile_form": forms.ProfileForm(initial=initial) if may_manage else None,
            "claim_form": forms.ClaimForm()
            if may_manage and use_case.risk_annex_iii_area
            else None,
            "attachment_form": forms.AttachmentForm() if may_manage else None,
            "frameworks": Framework.choices,
            "catalogue": services.catalogue_current(),
        },
    )


@login_required
@require_POST
def profile_save(request, pk):
    """Record the use case's role under the Act and the facts its obligations follow from."""
    use_case = _visible_use_case(request, pk)
    return page_action(
        request,
        form=forms.ProfileForm(request.POST),
        call=lambda data: services.regulatory_profile_record(
            use_case=use_case, actor=request.user, **data
        ),
        done=_("Role recorded; the obligations follow from it."),
        to=_page(use_case.pk),
    )


def _claimed(claim) -> str:
    # A refused claim is recorded all the same: the page says so, with the reason.
    if claim.outcome == "refused":
        return f"Claim refused and kept on the record: {claim.outcome_reason}"
    return "Art. 6(3) claim accepted and recorded."


@login_required
@require_POST
def claim_save(request, pk):
    """Claim the Art. 6(3) exemption; the claim is judged and kept, accepted or refused."""
    use_case = _visible_use_case(request, pk)
    return page_action(
        request,
        form=forms.ClaimForm(request.POST),
        call=lambda data: services.exemption_claim(use_case=use_case, actor=request.user, **data),
        done=_claimed,
        to=_page(use_case.pk),
    )


@login_required
@require_POST
def obligation_save(request, pk):
    """Update an obligation's status, owner or due date."""
    obligation = selectors.obligation_visible_to(user=request.user).filter(pk=pk).first()
    if obligation is None:
        raise Http404(_("No such obligation."))
    return page_action(
        request,
        form=forms.ObligationForm(request.POST),
        call=lambda data: services.obligation_update(
            obligation=obligation, actor=request.user, **data
        ),
        done=_("Obligation updated."),
        to=_page(obligation.use_case_id),
    )


def _row(model, use_case, pk: str):
    """The use case's row named in a form, or None (an id that is not a number included)."""
    if not pk.isdigit():
        return None
    return model.objects.filter(use_case=use_case, pk=int(pk)).first()


@login_required
@require_POST
def attachment_save(request, pk):
    """Store a document as evidence, for an obligation or superseding an earlier one."""
    use_case = _visible_use_case(request, pk)
    obligation = _row(Obligation, use_case, request.POST.get("obligation", ""))
    supersedes = _row(Attachment, use_case, request.POST.get("supersedes", ""))
    return page_action(
        request,
        form=forms.AttachmentForm(request.POST, request.FILES),
        call=lambda data: attachments.attachment_upload(
            use_case=use_case,
            actor=request.user,
            obligation=obligation,
            supersedes=supersedes,
            **data,
        ),
        done=_("Document stored."),
        to=_page(use_case.pk),
    )


@login_required
def attachment_download(request, pk):
    """The only way a stored document leaves: to someone who may read its use case."""
    attachment = selectors.attachment_visible_to(user=request.user).filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("No such document."))
    return file_response(attachment)


@login_required
def evidence_pack_page(request, pk, framework):
    """The pack as a page; ``?format=csv`` or ``?format=pdf`` downloads it."""
    if not request.user.has_perm("compliance.download_pack"):
        raise PermissionDenied(_("Evidence packs are for executives and administrators."))
    if framework not in Framework.values:
        raise Http404(_("No such framework."))
    use_case = _visible_use_case(request, pk)
    pack = evidence_pack.evidence_pack(use_case_id=use_case.pk, framework=framework)
    wanted = request.GET.get("format", "html")
    if wanted == "csv":
        response = HttpResponse(pack_render.pack_csv(pack), content_type="text/csv")
    elif wanted == "pdf":
        pdf = pack_render.pack_pdf(pack, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        return render(
            request, "compliance/evidence_pack.html", {"pack": pack, "use_case": use_case}
        )
    filename = pack_render.pack_filename(pack, wanted)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def crosswalk_page(request):
    return render(
        request,
        "compliance/crosswalk.html",
        {
            "frameworks": [
                (label, list(selectors.crosswalk(framework=value)))
                for value, label in Framework.choices
            ],
            "sources": evidence_pack.SOURCES,
        },
    )
