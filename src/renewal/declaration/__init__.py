"""Online declaration (项目申报): the enterprise's form (project, equipment lines, attachments), the
reviewers' inbox and review page, and the attachments of a project."""
