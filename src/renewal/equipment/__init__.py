"""Equipment: the machines each project buys (设备清单), each enterprise's ledger of the machines it
has (设备台账) and the elimination catalogue (淘汰目录, T9) the ledger is matched against."""
