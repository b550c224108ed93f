"""Input and output: strict readers, atomic writes, errors naming file/line/field, exports,
project paths and the figure style. The bottom layer: it imports nothing else of the package."""
