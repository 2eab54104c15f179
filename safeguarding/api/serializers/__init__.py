"""Output serializers (what a record looks like in the API) and input serializers (the JSON
types a write takes). Rules about what may be written live in the pages' forms and the
services, never here."""
