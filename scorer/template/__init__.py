"""`score template`: an inputs file ready to fill, with the declared targets of a table or an earlier file."""
