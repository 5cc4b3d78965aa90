"""Links of the dashboard's tables, reversed once per kind (see console.dashboard.links): a
table of velocity points links hundreds of use cases."""

from django import template

from console.dashboard import links

register = template.Library()


@register.filter
def use_case_page(pk) -> str:
    """The executive page of the use case ``pk`` (as ``{% url 'flywheel-admin:use-case' pk %}``)."""
    return links.use_case_page(pk)
