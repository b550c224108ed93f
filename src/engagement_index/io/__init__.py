"""Input and output: strict readers, atomic writes, errors naming file/line/field, exports,
project paths, the figure style and the chart kinds shared by the layers (plots). The bottom
layer: it imports nothing else of the package."""
