"""Clinical knowledge with no I/O: the ICD-10-CM code set, standardized
instruments and their bands, reading an objective the way a supervisor does
(SMART), and progress toward a measured target."""
