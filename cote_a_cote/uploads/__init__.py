"""Files people upload (module materials, organisation logos, training evidence): checked,
stored, served, removed."""
