print("tokenwarden")
