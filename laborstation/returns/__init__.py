"""The monthly return: build it, write and read the .xlsx, check it, submit and reopen it."""
