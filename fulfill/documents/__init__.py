"""Customs papers, labels, packing slips and pick lists: domain objects in, PDF bytes out.

Qt-free and store-free. Every text goes through documents.text so each character is drawn
with a bundled font that has it and nothing leaves its box.
"""
