"""What every app's pages share: one way through a page action (validate the form, call one
service, report the outcome, redirect), the navigation, and the base layout
(core/templates/flywheel/base.html)."""
