"""The clinician's work behind the commands: a plans folder, a new plan from
a scaffold, recording a review or a score, which reviews are due and how
each objective is doing. The command modules parse and print; this is what
they call."""
