"""Files people upload (module materials, organisation logos): checked, stored, served, removed."""
