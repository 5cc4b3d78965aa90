"""Permission predicates of the gates app (autodiscovered by rules)."""

import rules

from portfolio.rules import is_board_member, is_head_of_department, is_portfolio_admin


@rules.predicate
def heads_review_department(user, review) -> bool:
    return review is not None and is_head_of_department(user, review.use_case)


can_evaluate_review = is_portfolio_admin | heads_review_department | is_board_member

rules.add_perm("gates.evaluate_review", can_evaluate_review)
rules.add_perm("gates.manage_criteria", is_portfolio_admin)
