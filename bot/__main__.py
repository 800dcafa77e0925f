print("bot: not yet written")
