"""Categories as the API shows them."""

from designer.categories.models import Category
from designer.categories.schemas import CategoryOut


def category_out(category: Category) -> CategoryOut:
    return CategoryOut.model_validate(category)
