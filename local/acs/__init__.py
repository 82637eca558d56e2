"""A local stand-in for Azure Communication Services' Call Automation: real protocol, no Azure."""
