"""Forms of the compliance pages: shape and bounds (core.bounds) only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.choices import ActRole, AttachmentKind, ExemptionCondition, ObligationStatus
from core.bounds import BoundedForm


class ProfileForm(BoundedForm):
    act_role = forms.ChoiceField(label=_("Role under the AI Act"), choices=ActRole.choices)
    fria_scope = forms.BooleanField(
        label=_("Art. 27(1) scope (public body or service, credit scoring, life/health insurance)"),
        required=False,
    )
    # The facts, asked one by one: each drives only its own duty.
    interacts_with_people = forms.BooleanField(
        label=_("Art. 50(1): it interacts directly with people"), required=False
    )
    generates_synthetic_content = forms.BooleanField(
        label=_("Art. 50(2): it generates synthetic audio, images, video or text"), required=False
    )
    emotion_or_biometric = forms.BooleanField(
        label=_("Art. 50(3): it recognises emotions or categorises people biometrically"),
        required=False,
    )
    deep_fake_or_public_text = forms.BooleanField(
        label=_("Art. 50(4): it makes deep fakes or text published on matters of public interest"),
        required=False,
    )
    decides_about_people = forms.BooleanField(
        label=_("Art. 26(11), Art. 86: it makes or assists decisions about people"),
        required=False,
        initial=True,
    )
    public_authority = forms.BooleanField(
        label=_("Art. 26(8): we deploy it as a public authority"), required=False
    )


class ClaimForm(BoundedForm):
    condition = forms.ChoiceField(
        label=_("Art. 6(3) condition"), choices=ExemptionCondition.choices
    )
    reasoning = forms.CharField(
        label=_("Why the system poses no significant risk"), widget=forms.Textarea
    )
    profiles_people = forms.BooleanField(
        label=_("The system profiles natural persons"), required=False
    )


class ObligationForm(BoundedForm):
    status = forms.ChoiceField(
        choices=[
            (s.value, s.label) for s in ObligationStatus if s != ObligationStatus.NOT_APPLICABLE
        ]
    )
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    evidence_link = forms.URLField(required=False, max_length=500, assume_scheme="https")


class AttachmentForm(BoundedForm):
    file = forms.FileField()
    kind = forms.ChoiceField(choices=AttachmentKind.choices)
    title = forms.CharField(max_length=200, required=False)
