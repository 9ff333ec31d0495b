"""What leaves txplan: lint reports (text, JSON, SARIF, GitHub), rendered
plans (Markdown, HTML), FHIR bundles, de-identification, rule pages, text
made safe for a terminal, and where `-o` may write."""
