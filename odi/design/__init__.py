"""Designing a study before it is fielded: lint outcome statements, generate questionnaires.

- :mod:`odi.design.lint`: check desired-outcome statements against the statement grammar
  (direction, metric, object of control, optional clarifier) and list what to change.
- :mod:`odi.design.instrument`: write the questionnaire for Qualtrics (Advanced-format TXT,
  QSF), Google Forms (Apps Script) and print (HTML, PDF), in shapes the importers read back.
"""
