from rest_framework.routers import DefaultRouter

from governance.api import views

app_name = "governance-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("votes", views.VoteViewSet, basename="vote")
router.register("recusals", views.RecusalViewSet, basename="recusal")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("conditions", views.ConditionViewSet, basename="condition")
router.register("rebaseline-requests", views.RebaselineRequestViewSet, basename="rebaseline")
router.register("boards", views.BoardViewSet, basename="board")
router.register("board-members", views.BoardMemberViewSet, basename="board-member")
router.register("delegations", views.DelegationViewSet, basename="delegation")

urlpatterns = router.urls
