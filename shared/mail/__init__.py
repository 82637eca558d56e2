"""Email behind one port: Azure Communication Services, a Logic Apps workflow, or SMTP."""
