"""Problems reported on a listing: the form, the coordinators' queue, the provider's notice."""
