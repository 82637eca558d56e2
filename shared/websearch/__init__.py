"""Web search behind one port: a Foundry agent grounded with Bing, the Brave Search API, or the company's pages."""
