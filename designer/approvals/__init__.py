"""Approvals: a customer's (or the merchant's, on the customer's behalf) yes to a project's
print-ready PDF, the file an order's line item then prints."""
