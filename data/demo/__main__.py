"""``python -m data.demo FOLDER [--seed N] [--today YYYY-MM-DD]``: write the demo exports."""
from data.demo import main

main()
