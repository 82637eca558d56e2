"""What the company's conversations add up to: the dashboard's figures."""
