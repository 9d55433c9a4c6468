"""renewal: the equipment-renewal action platform (制造业大规模设备更新行动平台)."""
