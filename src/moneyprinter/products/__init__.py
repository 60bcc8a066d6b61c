"""Product pages: fetch one politely (or in a headless browser), and read the product's details from it."""
