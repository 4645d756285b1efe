"""Coverage and activity dashboard for administrators."""
