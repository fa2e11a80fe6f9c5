"""The compound registry (楼院台账): compounds, buildings, households, residents."""
