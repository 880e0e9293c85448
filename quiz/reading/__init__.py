"""Reading typed answers as people write them: numbers (digits, words, multipliers, units) and short texts.

``quiz.scoring`` is the one entry point that uses these; nothing here touches the database.
"""
