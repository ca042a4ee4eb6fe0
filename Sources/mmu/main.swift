print("mmu")
