"""What the designs and the templates show alike: the composer's problems."""

from designer.editing.schemas import ProblemOut


def problems_out(composition) -> list[ProblemOut] | None:
    """The composer's problems as the API shows them; None for no composition."""
    if composition is None:
        return None
    return [ProblemOut.model_validate(problem.to_json()) for problem in composition.problems]
