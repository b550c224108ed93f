"""The engagement model on top of the composite engine: the indicator matrix (windows,
zeros by scope, conflicts), weight profiles and AHP, and the model comparing two actors."""
